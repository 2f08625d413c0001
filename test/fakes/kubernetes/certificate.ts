// A self-signed certificate for 127.0.0.1 and localhost, valid until 2126, made for this fake only
// (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 36500
//  -addext subjectAltName=IP:127.0.0.1,DNS:localhost). It protects nothing.
export const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU2gAwIBAgIUWpW8L7HuBDHzD1wj3AGvwDi7buwwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPZmFrZS1rdWJlcm5ldGVzMCAXDTI2MTEyMzEyMjQxOVoYDzIx
MjYxMDMwMTIyNDE5WjAaMRgwFgYDVQQDDA9mYWtlLWt1YmVybmV0ZXMwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQkBjtZyLr1Gs0RT1EcXfv88W5AAZy1iy1OedYA
0PR5rRP7Lu+JaYZjIxDGpy6dqP2Q0kb8yS+REq6kEkeR4rHEo28wbTAdBgNVHQ4E
FgQUmoBdu19VsZNl4M+rELVrzVbfel4wHwYDVR0jBBgwFoAUmoBdu19VsZNl4M+r
ELVrzVbfel4wDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2Nh
bGhvc3QwCgYIKoZIzj0EAwIDSQAwRgIhAIfMPWaT9CbuHHvAbs2DBwWVrSzArHDG
lXk0m6KlA0tCAiEAo5TeDHiqeHvwkaW53qXeVR2NR7t+B2IZ1Y2hFI4HqBM=
-----END CERTIFICATE-----
`;
export const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcX/ziErIoSApEX77
ZEqD3uwMenAy4bF+px9IBypv4nehRANCAAQkBjtZyLr1Gs0RT1EcXfv88W5AAZy1
iy1OedYA0PR5rRP7Lu+JaYZjIxDGpy6dqP2Q0kb8yS+REq6kEkeR4rHE
-----END PRIVATE KEY-----
`;
