/** What a value loaded from a substituteFrom Secret becomes in every text that leaves the worker. */
export const SUBSTITUTED_SECRET_MASK = '[substituted secret]';

/**
 * Values shorter than this are left alone: masking `1` or `on` everywhere would make the diff unreadable,
 * and such values are not credentials. The report says how many were left.
 */
export const MIN_MASKED_LENGTH = 4;

export interface SecretMasker {
  mask(text: string): string;
  /** Whether any text passed to `mask` held one of the values. */
  readonly touched: boolean;
  /** How many values were too short to mask. */
  readonly unmasked: number;
}

/**
 * Masks every value of the Kustomization's substituteFrom Secrets, as written and base64-encoded (a value
 * substituted into a Secret's `data`), longest first so a value containing another is masked whole.
 */
export function secretMasker(values: string[]): SecretMasker {
  const masked = [...new Set(values.filter((value) => value.length >= MIN_MASKED_LENGTH))];
  const forms = [...new Set(masked.flatMap((value) => [value, Buffer.from(value, 'utf8').toString('base64')]))].sort((a, b) => b.length - a.length);
  let touched = false;
  return {
    mask(text: string): string {
      let result = text;
      for (const form of forms) {
        if (!result.includes(form)) continue;
        touched = true;
        result = result.split(form).join(SUBSTITUTED_SECRET_MASK);
      }
      return result;
    },
    get touched() {
      return touched;
    },
    unmasked: new Set(values.filter((value) => value.length > 0 && value.length < MIN_MASKED_LENGTH)).size,
  };
}
