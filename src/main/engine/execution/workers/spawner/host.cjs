'use strict';
/*
  The spawner process (spawner-client.ts starts it as `node -e <this file>` with an IPC channel,
  or the desktop app as an Electron utility process).
  It only forks: each message {t:'spawn'} becomes a child process, and everything the child does
  comes back as messages. Process groups, timeouts and kills stay with the engine, which signals
  the groups by pid itself. Why a process of its own: fork() copies the parent's page tables, so
  spawning from the engine's large process cost it 1-2 ms of blocked event loop per job; from
  this small one it costs a fraction, on the other core.

  in:  {t:'spawn', id, file, args, cwd, env, detached}
  out: {t:'ready'} once, then
       {t:'spawned', id, pid} | {t:'error', id, message, code} | {t:'data', id, fd, data}
       | {t:'exit', id, code, signal} | {t:'close', id, code, signal}
  Either way, the messages of one turn of the event loop travel as one {t:'batch', m:[...]}:
  a message costs a write on one side and a read and a wake-up on the other, per job four of
  them, which showed in the profile of a busy node; a job's exit and close, and the spawns and
  ends of jobs that happen together, now share one.
*/
const { spawn } = require('node:child_process');

/*
  The channel to the engine: an Electron utility process has process.parentPort (the desktop
  app starts the spawner that way, src/main/app/utility-spawner.ts); `node -e` has Node's IPC.
*/
const port = process.parentPort;
const post = port ? (message) => port.postMessage(message) : (message) => process.connected && process.send(message);
const listen = port
  ? (handler) => port.on('message', (e) => handler(e.data))
  : (handler) => process.on('message', handler);

let outbox = [];

function flush() {
  const messages = outbox;
  outbox = [];
  if (messages.length > 0) post(messages.length === 1 ? messages[0] : { t: 'batch', m: messages });
}

function send(message) {
  outbox.push(message);
  if (outbox.length === 1) setImmediate(flush);
}

listen((m) => {
  if (m && m.t === 'batch' && Array.isArray(m.m)) m.m.forEach(onRequest);
  else onRequest(m);
});
// Listening: the engine gives up on a spawner that does not say so in time.
send({ t: 'ready' });

function onRequest(m) {
  if (!m || m.t !== 'spawn') return;
  let child;
  try {
    child = spawn(m.file, m.args, {
      cwd: m.cwd || undefined,
      env: m.env,
      detached: m.detached,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (err) {
    send({ t: 'error', id: m.id, message: String(err && err.message), code: err && err.code });
    send({ t: 'close', id: m.id, code: null, signal: null });
    return;
  }
  if (child.pid !== undefined) send({ t: 'spawned', id: m.id, pid: child.pid });
  child.stdout.on('data', (data) => send({ t: 'data', id: m.id, fd: 1, data }));
  child.stderr.on('data', (data) => send({ t: 'data', id: m.id, fd: 2, data }));
  child.on('error', (err) =>
    send({ t: 'error', id: m.id, message: String(err && err.message), code: err && err.code }),
  );
  child.on('exit', (code, signal) => send({ t: 'exit', id: m.id, code, signal }));
  child.on('close', (code, signal) => send({ t: 'close', id: m.id, code, signal }));
}

// The engine went away (stopped, or killed): so does the spawner. Jobs' process groups are
// detached and live on, as they would have without it; a restarted node ends what is left.
// (A utility process is ended by Electron with its app, and by the engine's close().)
if (!port) process.on('disconnect', () => process.exit(0));
