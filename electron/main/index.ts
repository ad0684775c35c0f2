/**
 * Electron main process: one secure window over the engine. Everything the renderer may ask goes through the typed
 * contract (shared/contract.ts) on one IPC channel, validated in the engine's API; the renderer gets nothing else.
 * Layer: electron-main (the only layer that imports `electron`).
 */
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CALL_NAMES, type CallName } from '../../shared/contract.js';
import { createApi, toApiError } from '../engine/api.js';

const api = createApi();
const rendererIndex = join(__dirname, '../renderer/index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

// Electron security #4: sandbox every renderer.
app.enableSandbox();

function isTrustedSender(e: IpcMainInvokeEvent): boolean {
  // Electron security #17: only the main frame of our own page may call the engine.
  const frame = e.senderFrame;
  return !!frame && frame === e.sender.mainFrame && frame.url.split('#')[0] === rendererUrl;
}

function harden(contents: WebContents): void {
  // Electron security #13, #14: no navigation away from the app and no new windows.
  contents.on('will-navigate', (ev, url) => {
    if (url !== rendererUrl) ev.preventDefault();
  });
  contents.on('will-redirect', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Electron security #11/#12: no <webview>.
  contents.on('will-attach-webview', (ev) => ev.preventDefault());
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Evidence Workbench',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true, // Electron security #3
      sandbox: true, // #4
      nodeIntegration: false, // #2
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // #6
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
    },
  });
  void win.loadFile(rendererIndex);
}

app.on('web-contents-created', (_e, contents) => harden(contents));

void app.whenReady().then(() => {
  // Electron security #5: deny every permission request (camera, notifications, ...).
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  ipcMain.handle('api:invoke', async (e, call: unknown, input: unknown) => {
    if (!isTrustedSender(e)) return { ok: false, error: { code: 'failed', message: 'untrusted sender' } };
    if (typeof call !== 'string' || !(CALL_NAMES as string[]).includes(call)) {
      return { ok: false, error: { code: 'invalid-input', message: `unknown call ${String(call)}` } };
    }
    try {
      return { ok: true, value: await api.invoke(call as CallName, input as never) };
    } catch (err) {
      const a = toApiError(err);
      return { ok: false, error: { code: a.code, message: a.message } };
    }
  });
  createWindow();
});

app.on('window-all-closed', () => app.quit());
