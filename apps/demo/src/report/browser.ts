// The report's script (bundled with Chart.js into one IIFE and inlined into report.html): reads
// the inlined results and shows them with the same view the web page uses. The view class is
// also exported (the global `SparseKitReport.DemoView`), so a page without results can drive it.
import type { DemoResults } from '../experiments/types.js';
import { DemoView } from '../view/index.js';
import { RESULTS_ELEMENT_ID, ROOT_ELEMENT_ID } from './ids.js';

export { DemoView };

const data = document.getElementById(RESULTS_ELEMENT_ID);
const root = document.getElementById(ROOT_ELEMENT_ID);
if (data?.textContent && root) {
  new DemoView(root).show(JSON.parse(data.textContent) as DemoResults);
}
