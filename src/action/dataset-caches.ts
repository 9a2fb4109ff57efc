/**
 * Which store backs the dataset cache in this step, from the `dataset-cache`
 * input and the runner:
 *
 *   actions  the repository's Actions cache: survives runs, so it is the one
 *            that helps on GitHub-hosted runners (whose tool cache starts
 *            empty on every job)
 *   tool     the runner's tool cache: a folder on the machine, for
 *            self-hosted runners that keep it between jobs (no upload to
 *            GitHub's storage, no 10 GB repository quota)
 *   off      none
 *   auto     actions on a GitHub-hosted runner (RUNNER_ENVIRONMENT), tool
 *            elsewhere; whichever of the two is available if the preferred
 *            one is not
 *
 * The choice is logged once, so a run that downloads what the previous run
 * saved says why.
 */
import type { DatasetCache, DatasetCacheMode, Logger } from '../core/index.js'
import { ActionsDatasetCache } from './actions-dataset-cache.js'
import { ToolCacheDatasetCache } from './tool-cache-dataset-cache.js'

export function selectDatasetCache(mode: DatasetCacheMode, logger: Logger): DatasetCache | undefined {
  const actions = (): DatasetCache | undefined =>
    ActionsDatasetCache.available() ? ActionsDatasetCache.fromEnvironment(logger) : undefined
  const tool = (): DatasetCache | undefined => (ToolCacheDatasetCache.available() ? new ToolCacheDatasetCache(logger) : undefined)
  let chosen: DatasetCache | undefined
  let why: string
  switch (mode) {
    case 'off':
      logger.info('Dataset cache: off (dataset-cache: off); datasets are downloaded every time.')
      return undefined
    case 'actions':
      chosen = actions()
      if (!chosen) {
        logger.warn(
          'dataset-cache: actions, but the Actions cache service is not available to this step (no ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN or RUNNER_TEMP, or not the cache service v2: the dataset cache does not use the one of GitHub Enterprise Server); datasets are not cached.'
        )
        return undefined
      }
      why = 'dataset-cache: actions'
      break
    case 'tool':
      chosen = tool()
      if (!chosen) {
        logger.info('dataset-cache: tool, but there is no runner tool cache (RUNNER_TOOL_CACHE); datasets are not cached.')
        return undefined
      }
      why = 'dataset-cache: tool'
      break
    case 'auto': {
      const hosted = process.env.RUNNER_ENVIRONMENT === 'github-hosted'
      const preferred = hosted ? actions() : tool()
      chosen = preferred ?? (hosted ? tool() : actions())
      if (!chosen) {
        logger.info('Dataset cache: none available to this step (neither the Actions cache service nor a runner tool cache).')
        return undefined
      }
      why = `dataset-cache: auto, on a ${hosted ? 'GitHub-hosted' : 'self-hosted (or unknown)'} runner`
      if (!preferred) why += `, where ${hosted ? 'the Actions cache service' : 'a runner tool cache'} is not available`
      break
    }
  }
  logger.info(`Dataset cache: ${chosen.label} (${why}).`)
  return chosen
}
