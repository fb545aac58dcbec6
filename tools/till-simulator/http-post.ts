import { Agent, request } from 'node:http';

/** A keep-alive agent with a bounded pool: requests beyond it wait for a socket, as a till's would. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/**
 * POSTs a JSON body over plain HTTP (the local API) and resolves with the status
 * and body text; rejects only on network failure. node:http rather than fetch: a
 * fixed socket pool keeps a load generator's own cost small and predictable.
 */
export function postJson(url: URL, headers: Readonly<Record<string, string>>, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
