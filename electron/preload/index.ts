/**
 * Preload (sandboxed): exposes exactly the contract's `invoke` as `window.api`, nothing of Electron or Node.
 * Layer: electron-preload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { Api } from '../../shared/contract.js';
import { CALL_NAMES, type CallName } from '../../shared/call-names.js';

const api: Api = {
  async invoke(call, input) {
    // Electron security #13: a fixed allowlist of calls, never raw ipcRenderer.
    if (!(CALL_NAMES as string[]).includes(call)) throw new Error(`unknown call ${String(call)}`);
    const r = (await ipcRenderer.invoke('api:invoke', call as CallName, input)) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    if (!r.ok) throw Object.assign(new Error(r.error?.message ?? 'failed'), { code: r.error?.code });
    return r.value as never;
  },
};

contextBridge.exposeInMainWorld('api', api);
