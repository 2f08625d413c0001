import { BLOCK_KIT, escapeMrkdwn, inlineCode, truncate, type KnownBlock } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { PendingRollout } from '../../adapters/store';
import type { RolloutOutcome } from './audit-entries';
import { objectRef, revisionOf, type FluxEvent } from './flux-event';

/** Flux's own words, made safe for mrkdwn: tokens masked, `<`/`>`/`&` escaped, cut to fit one section. */
function fluxWords(text: string, max = 1_500): string {
  return escapeMrkdwn(truncate(maskSecrets(text.trim()), max));
}

const shortVersion = (version: string) => (/^[0-9a-f]{40,64}$/.test(version) ? version.slice(0, 7) : version);

/** What the requester's "running…" message becomes once Flux reports the rollout. */
export function rolloutOutcomeText(rollout: PendingRollout, outcome: RolloutOutcome): string {
  const by = `${rollout.action === 'promote' ? 'promoted' : 'rolled back'} by <@${rollout.requester.user}>`;
  if (outcome.status === 'succeeded') {
    const shown = rollout.expect.appVersion ?? shortVersion(outcome.version);
    // "Deployed" only when the object declares it waits for its workloads; else say what Flux did prove.
    if (outcome.readiness === 'applied') {
      return `:ballot_box_with_check: ${escapeMrkdwn(rollout.app)} ${inlineCode(shown)} applied on ${inlineCode(rollout.cluster)} (${by}; Flux: ${escapeMrkdwn(outcome.reason)}). Flux does not wait for this app's workloads (no \`wait\` or \`healthChecks\`, or \`disableWait\`), so this does not say it runs: check \`/flux list ${escapeMrkdwn(rollout.app)}\`.`;
    }
    return `:white_check_mark: ${escapeMrkdwn(rollout.app)} ${inlineCode(shown)} deployed on ${inlineCode(rollout.cluster)} (${by}; Flux: ${escapeMrkdwn(outcome.reason)}).`;
  }
  const expected = rollout.expect.version ?? (rollout.expect.commitSha ? shortVersion(rollout.expect.commitSha) : 'the new version');
  return `:x: ${escapeMrkdwn(rollout.app)} ${inlineCode(expected)} failed on ${inlineCode(rollout.cluster)} (${by}). Flux: *${escapeMrkdwn(outcome.reason)}*: ${fluxWords(outcome.message, 1_000)}`;
}

/** The alert for an error event: which object, where, why, in Flux's words, and that repeats are muted. */
export function alertMessage(channel: string, cluster: string, event: FluxEvent, windowMinutes: number): { channel: string; text: string; blocks: KnownBlock[] } {
  const revision = revisionOf(event);
  const headline = `:rotating_light: ${inlineCode(objectRef(event))} on ${inlineCode(cluster)}: *${escapeMrkdwn(event.reason)}*`;
  const body = `${headline}\n>${fluxWords(event.message).replace(/\n/g, '\n>')}`;
  const context = [`${escapeMrkdwn(event.reportingController)} at ${escapeMrkdwn(event.timestamp)}`, ...(revision ? [`revision ${inlineCode(revision)}`] : []), `repeats muted for ${windowMinutes} min`].join(' · ');
  return {
    channel,
    text: escapeMrkdwn(truncate(`${objectRef(event)} on ${cluster}: ${event.reason}`, 300)),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(body, BLOCK_KIT.sectionText) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(context, BLOCK_KIT.contextText) }] },
    ],
  };
}
