// The ER layout off the main thread: a large schema (a thousand tables) lays out while the page
// stays responsive. Receives ErData, answers ErLayout.
import { layoutEr, type ErData } from './layout';

addEventListener('message', (e: MessageEvent<ErData>) => {
  try {
    postMessage({ ok: true, layout: layoutEr(e.data) });
  } catch (err) {
    postMessage({ ok: false, message: String(err) });
  }
});
