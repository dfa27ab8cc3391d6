import { ApiError } from '../api/client';

/** The server's field errors by form place: "rules.ups.selfTestEvery" → message; the rest under "". */
export function errorsByField(errors: { field: string; message: string }[] | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors ?? []) {
    const place = error.field.replace(/^document\./, '');
    byField[place] = byField[place] ? `${byField[place]}; ${error.message}` : error.message;
  }
  return byField;
}

/** The field errors of a refused request, if it was one. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? errorsByField(error.problem?.errors) : {};
}
