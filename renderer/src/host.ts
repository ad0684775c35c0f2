/** The renderer's only door to the engine: `window.api`, typed by the shared contract. Layer: renderer. */
import type { Api } from '../../shared/contract.js';

declare global {
  interface Window {
    api: Api;
  }
}

export const api: Api = window.api;
