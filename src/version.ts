/** The packager's version, written into every manifest. A test keeps it equal to package.json's. */
export const PACKAGER_NAME = 'job-packager'
export const PACKAGER_VERSION = '0.1.0'
