// The baseline for bench/hostHttp.ts: a bare node:http server answering what the health
// function answers, in a process of its own as the host is. Prints its port.
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'ok' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
