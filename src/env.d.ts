/// <reference types="svelte" />
/// <reference types="vite/client" />
/** The app version from package.json, set by Vite's `define`. */
declare const __APP_VERSION__: string;
