import { scanFakeEndpoint, verdictTable } from './test/fixtures/aws-answers/scan-fake-endpoint.ts';
const s = await scanFakeEndpoint();
for (const [k, v] of verdictTable(s.result)) console.log(k.padEnd(90), v.status, v.message.slice(0, 100));
console.log(s.result.errors.length, 'errors', s.result.summary, s.reports, s.requests.length);
s.dispose();
