/**
 * Answers that do not come from an AWS-shaped service: an HTML page, a bare "Not Implemented", an
 * empty 200. They are deterministic (asking 8 times gives 8 times the same page), and the SDK words
 * them badly ("Deserialization error: … inspect the hidden field {error}.$response") or not at all
 * (an empty 200 parses as an empty answer: "no trails"). The client middleware here refuses them
 * before the SDK parses them; `deterministicFailure` words them, and those of the SDK's own
 * parsing failures, for the report, and tells the call runner not to retry them.
 */

export const NOT_AN_AWS_ANSWER = 'NotAnAwsAnswer';
export const NOT_IMPLEMENTED = 'NotImplemented';

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

type Next = (args: unknown) => Promise<{ response: unknown; output?: unknown }>;

/** The part of an SDK client's middleware stack used here (the SDK's own types are per client). */
type StackAdd = { add(middleware: (next: Next) => Next, options: { step: 'deserialize'; priority: 'low'; name: string }): void };

/**
 * Sits between the HTTP handler and the SDK's deserializer (priority low in the deserialize step is
 * the inner side), so it sees each raw response first. The body of our read calls is small: it is
 * read into memory and handed on as bytes, which the deserializer takes as it takes a stream.
 */
export function refuseNonAwsAnswers<C extends { middlewareStack: object }>(client: C): C {
  (client.middlewareStack as unknown as StackAdd).add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawResponse | undefined;
      if (!response || typeof response.statusCode !== 'number') return result;
      const bytes = await bodyBytes(response.body);
      if (bytes !== undefined) response.body = bytes;
      const problem = nonAwsProblem(response, bytes);
      if (problem) throw Object.assign(new Error(problem), { name: NOT_AN_AWS_ANSWER, $metadata: { httpStatusCode: response.statusCode } });
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'trailproofRefuseNonAwsAnswers' },
  );
  return client;
}

function nonAwsProblem(response: RawResponse, bytes: Uint8Array | undefined): string | undefined {
  const type = (response.headers['content-type'] ?? response.headers['Content-Type'] ?? '').toLowerCase();
  if (type.startsWith('text/html')) return 'an HTML page';
  // Every read answer of the AWS protocols has a body ({} at least); an empty 200 says nothing.
  if (response.statusCode >= 200 && response.statusCode < 300 && bytes !== undefined && bytes.length === 0) return 'an empty body';
  return undefined;
}

async function bodyBytes(body: unknown): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body;
  if (body && typeof body === 'object' && Symbol.asyncIterator in body) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  return undefined;
}

type SdkErrorLike = Error & { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };

/**
 * A failure that asking again cannot change, worded in plain words, or undefined for the others
 * (throttling, timeouts, AWS's own errors), which keep the SDK's code and the retry policy.
 */
export function deterministicFailure(error: SdkErrorLike, operation: string): { code: string; message: string } | undefined {
  const status = error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
  const http = status !== undefined ? `HTTP ${status}` : 'no HTTP status';
  const saysNotImplemented = /not (yet )?implemented|unknown ?operation|not supported/i.test(error.message) || error.name === 'UnknownOperationException';
  const nonAws = error.name === NOT_AN_AWS_ANSWER;
  const unparsable = /Deserialization error/.test(error.message) || (error.$response !== undefined && !('$fault' in error));
  if (status === 501 || (saysNotImplemented && (status === undefined || status >= 400))) {
    // An AWS-shaped error ("InternalFailure: … not yet implemented") says more than its status.
    const detail = '$fault' in error && saysNotImplemented ? `: ${firstLine(error.message)}` : '';
    return { code: NOT_IMPLEMENTED, message: `the endpoint does not implement ${operation} (${http}${detail})` };
  }
  if ((nonAws || unparsable) && (status === 404 || status === 405)) {
    return { code: NOT_IMPLEMENTED, message: `the endpoint does not implement ${operation} (${http}${nonAws ? ` with ${error.message}` : ''}, not an AWS answer)` };
  }
  if (nonAws) return { code: NOT_AN_AWS_ANSWER, message: `the endpoint answered ${operation} with ${error.message} (${http}), not an AWS answer` };
  if (unparsable) return { code: NOT_AN_AWS_ANSWER, message: `the endpoint's answer to ${operation} is not a readable AWS answer (${http}: ${firstLine(error.message)})` };
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
