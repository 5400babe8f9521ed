import { packageConfig } from '../../tsup.shared';

export default packageConfig({ external: ['@sparsekit/core'] });
