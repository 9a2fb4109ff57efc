/** The transports a job may use: git remotes by all four, datasets by https (and http when allowed). */
export type GitProtocol = 'https' | 'http' | 'ssh' | 'file'
export const GIT_PROTOCOLS: readonly GitProtocol[] = ['https', 'http', 'ssh', 'file']
