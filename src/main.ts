import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/app.css';

const app = mount(App, { target: document.getElementById('app')! });

// Offline support: the service worker precaches the app, its .wasm files and datasets.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
}

export default app;
