import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LOCAL_SECRETS, signFluxBody } from '../lib/signing';
import { apiGatewayEvent } from './api-gateway';
import { at, isoSeconds, SHA, type Json } from './story';

/**
 * What notification-controller's `generic-hmac` Provider posts for `cluster`: the Event of
 * fluxcd/pkg/apis/event/v1beta1 as JSON, `X-Signature: sha256=<hex HMAC>` of it with the Provider's token
 * (https://fluxcd.io/flux/components/notification/providers/#generic-webhook-with-hmac), and the
 * `{cluster}` of the route as API Gateway's path parameter.
 */
function fluxEvent(cluster: string, event: Json, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const body = JSON.stringify(event);
  return {
    ...apiGatewayEvent(
      `POST /flux/events/${cluster}`,
      { 'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1', 'x-signature': signFluxBody(LOCAL_SECRETS.FLUX_WEBHOOK_TOKEN, body) },
      body,
      when,
      '10.0.12.7',
      requestId,
    ),
    routeKey: 'POST /flux/events/{cluster}',
    pathParameters: { cluster },
  };
}

/** Flux's events for the sample story on the `local` cluster of config.example.yaml, after #42 merged. */
const PODINFO_RELEASE = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'podinfo', namespace: 'podinfo', uid: '4b3a2c1d-9e8f-4a7b-8c6d-5e4f3a2b1c0d' };
const APPS_KUSTOMIZATION = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: 'flux-system', uid: '7d0cdc51-ddcf-4743-b223-83ca5c699632' };

export function fluxEvents(): Record<string, APIGatewayProxyEventV2> {
  return {
    'flux-event-reconciliation-succeeded.json': fluxEvent(
      'local',
      {
        involvedObject: APPS_KUSTOMIZATION,
        severity: 'info',
        timestamp: isoSeconds(at(31)),
        message: 'Reconciliation finished in 1.28s, next run in 10m0s',
        reason: 'ReconciliationSucceeded',
        metadata: { revision: `main@sha1:${SHA.merge}` },
        reportingController: 'kustomize-controller',
        reportingInstance: 'kustomize-controller-7f5d8b6c9d-x2k4q',
      },
      at(31),
      'Kc3fSjQMwIdFLyC=',
    ),
    'flux-event-upgrade-succeeded.json': fluxEvent(
      'local',
      {
        involvedObject: PODINFO_RELEASE,
        severity: 'info',
        timestamp: isoSeconds(at(32)),
        message: 'Helm upgrade succeeded for release podinfo/podinfo.v4 with chart podinfo@6.7.1',
        reason: 'UpgradeSucceeded',
        metadata: { revision: '6.7.1' },
        reportingController: 'helm-controller',
        reportingInstance: 'helm-controller-5c9f7b8d6-q8w2e',
      },
      at(32),
      'Kd4gTkRNxJeGMzD=',
    ),
    'flux-event-upgrade-failed.json': fluxEvent(
      'local',
      {
        involvedObject: PODINFO_RELEASE,
        severity: 'error',
        timestamp: isoSeconds(at(40)),
        message:
          'Helm upgrade failed for release podinfo/podinfo with chart podinfo@6.7.2: cannot patch "podinfo" with kind Deployment: Deployment.apps "podinfo" is invalid: spec.template.spec.containers[0].image: Required value',
        reason: 'UpgradeFailed',
        metadata: { revision: '6.7.2' },
        reportingController: 'helm-controller',
        reportingInstance: 'helm-controller-5c9f7b8d6-q8w2e',
      },
      at(40),
      'Ke5hUlSOyKfHNaE=',
    ),
  };
}
