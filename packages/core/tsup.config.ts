import { packageConfig } from '../../tsup.shared';

// Class names are the error names users see and the cross-copy `instanceof` check compares.
export default packageConfig({ overrides: { keepNames: true } });
