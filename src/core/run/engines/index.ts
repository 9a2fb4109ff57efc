/** Picks the engine: the one asked for, or for `auto` the first that answers of docker, podman, buildah. Never `none` by itself. */
import { EngineError } from '../../errors.js'
import type { EngineName } from '../types.js'
import { BuildahEngine } from './buildah.js'
import { ContainerCliEngine } from './container-cli.js'
import type { Engine } from './engine.js'
import { NoEngine } from './none.js'

export async function resolveEngine(name: EngineName): Promise<Engine> {
  if (name === 'none') return new NoEngine()
  if (name === 'buildah') return (await BuildahEngine.detect()) ?? missing('buildah')
  if (name === 'docker' || name === 'podman') return (await ContainerCliEngine.detect(name)) ?? missing(name)
  const found = (await ContainerCliEngine.detect('docker')) ?? (await ContainerCliEngine.detect('podman')) ?? (await BuildahEngine.detect())
  if (!found) {
    throw new EngineError(
      'No container engine found (docker with a running daemon, podman or buildah). Install one, or — only for a trusted job on a machine of your own — run it without a container: --engine none.'
    )
  }
  return found
}

function missing(name: string): never {
  throw new EngineError(
    name === 'docker'
      ? 'docker does not answer: it is not installed, or its daemon is not running (docker version cannot reach the server).'
      : `${name} is not installed, or does not answer (${name} --version failed).`
  )
}
