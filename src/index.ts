/** The Action's entry point (action.yml runs.main, bundled into dist/index.js): only calls run(). */
import { run } from './action/main.js'

await run()
