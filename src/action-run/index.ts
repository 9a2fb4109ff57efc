/** The run sub-action's entry point (run/action.yml runs.main, bundled into dist/run/index.js): only calls run(). */
import { run } from './main.js'

await run()
