// Element ids shared by the report's HTML (written in Node) and its script (run in the browser).

/** The `<script type="application/json">` holding the run's DemoResults. */
export const RESULTS_ELEMENT_ID = 'sk-results';
/** The element the DemoView is built in. */
export const ROOT_ELEMENT_ID = 'sk-report';
/** File name of the report's script bundle (Chart.js and the view), built next to `cli.js` by tsup. */
export const VIEW_BUNDLE_FILE = 'report-view.global.js';
