import { describe, expect, it } from 'vitest';
import { verifyFluxRequest, verifyGithubRequest, verifySlackRequest } from '../../lib/core/http';
import { signFluxBody, signGithubBody, signSlackBody } from '../../scripts/lib/signing';

describe('the signatures npm run send makes', () => {
  it("reproduces GitHub's documented example (Validating webhook deliveries)", () => {
    // Act
    const signature = signGithubBody("It's a Secret to Everybody", 'Hello, World!');

    // Assess
    expect(signature).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it("reproduces Slack's documented example (Verifying requests from Slack)", () => {
    // Prepare
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';

    // Act
    const signature = signSlackBody('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body);

    // Assess
    expect(signature).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('signs bytes that the server verifies, for each sender', async () => {
    // Prepare
    const body = Buffer.from('{"zen":"Keep it logically awesome."}');

    // Act + Assess
    await expect(verifyGithubRequest('s3cret', body, signGithubBody('s3cret', body))).resolves.toBeUndefined();
    expect(() => verifySlackRequest('s3cret', body, '1700000000', signSlackBody('s3cret', 1700000000, body), { nowMilliseconds: () => 1_700_000_000_000 })).not.toThrow();
    expect(() => verifyFluxRequest('s3cret', body, signFluxBody('s3cret', body))).not.toThrow();
  });
});
