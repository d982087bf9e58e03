// Logs in to Aviary with Converse.js in headless Chromium, sends a chat message (or enters a group chat room and
// sends a message to it) and waits for the reply to show up in the page. Used by BrowserClientEndToEndTest; exits 0
// on success.
//
// node converse-chat.mjs chromium=/usr/bin/chromium jid=romeo@localhost password=... \
//   websocket_url=ws://127.0.0.1:5280/xmpp-websocket (or bosh_service_url=http://...) \
//   contact=juliet@localhost (or room=balcony@conference.localhost nick=romeo) \
//   message=Hello reply='echo: Hello' screenshot=out.png
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { args, launch } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'node_modules', 'converse.js', 'dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.map': 'application/json', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg' };

// Serves the page and Converse.js's dist folder on a free loopback port.
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const file = url.pathname.startsWith('/dist/')
    ? path.join(dist, path.normalize(url.pathname.slice('/dist/'.length)))
    : path.join(here, 'index.html');
  if (!file.startsWith(dist) && file !== path.join(here, 'index.html')) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404).end();
    } else {
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(data);
    }
  });
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));

const settings = { jid: args.jid, password: args.password };
if (args.websocket_url) settings.websocket_url = args.websocket_url;
if (args.bosh_service_url) settings.bosh_service_url = args.bosh_service_url;

const { page, close } = await launch(args.chromium);
const log = [];
page.on('console', m => log.push(`[console.${m.type()}] ${m.text()}`));
page.on('pageerror', e => log.push(`[pageerror] ${e.message}`));

let ok = false;
try {
  await page.goto(`http://127.0.0.1:${server.address().port}/#${encodeURIComponent(JSON.stringify(settings))}`);
  await page.waitForFunction(() => window.aviary.connected === true, null, { timeout: 30000 });
  if (args.room) {
    await page.evaluate(([room, nick]) => window.aviary.openRoom(room, nick), [args.room, args.nick]);
  } else {
    await page.evaluate(contact => window.aviary.openChat(contact), args.contact);
  }
  const textarea = page.locator('textarea.chat-textarea').first();
  await textarea.waitFor({ timeout: 15000 });
  await textarea.fill(args.message);
  await textarea.press('Enter');
  await page.getByText(args.reply, { exact: true }).first().waitFor({ timeout: 30000 });
  ok = true;
} catch (e) {
  console.error(`browser client failed: ${e.message}`);
  console.error(log.join('\n'));
} finally {
  fs.mkdirSync(path.dirname(args.screenshot), { recursive: true });
  await page.screenshot({ path: args.screenshot }).catch(e => console.error(`no screenshot: ${e.message}`));
  await close();
  server.close();
}
console.log(ok ? 'reply shown' : 'reply not shown');
process.exit(ok ? 0 : 1);
