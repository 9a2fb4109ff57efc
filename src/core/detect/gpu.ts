/**
 * GPU hints: does the Python environment ask for CUDA? Detection only reads
 * the dependency files it already reads (each up to MAX_MANIFEST_BYTES; a
 * larger lock is read from its head) for the names of packages that use
 * CUDA — torch, tensorflow's and-cuda extra, jax's cuda extras, cupy's CUDA
 * wheels, NVIDIA's CUDA library wheels — and reports them as a note. Nothing
 * in the image changes: PyTorch's and JAX's wheels carry their own CUDA
 * libraries, and what the GPU needs at run time is the host's NVIDIA driver,
 * which `docker run --gpus all` (with the NVIDIA container toolkit) brings in.
 */
import { MAX_MANIFEST_BYTES, type CodeFiles } from './files.js'

const FILES = [
  'requirements.txt',
  'pyproject.toml',
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'Pipfile',
  'environment.yml',
  'environment.yaml',
  'conda-lock.yml'
]
const CUDA_PACKAGES: Array<[string, RegExp]> = [
  ['torch', /(^|["'\s=[,])torch(["'\s=<>!~;[,]|$)/m],
  ['tensorflow[and-cuda]', /tensorflow\[and-cuda\]/],
  ['jax[cuda]', /jax\[cuda/],
  ['cupy', /(^|["'\s])cupy-cuda/m],
  ['nvidia CUDA wheels', /(^|["'\s])nvidia-[a-z-]+-cu1\d/m],
  ['pytorch-cuda', /pytorch-cuda/]
]

/** The CUDA-using packages named in the Python dependency files, in a fixed order. */
export async function detectCuda(files: CodeFiles): Promise<string[]> {
  const found = new Set<string>()
  for (const name of FILES) {
    if (!(await files.isRegularFile(name))) continue
    const text = await files.head(name, MAX_MANIFEST_BYTES)
    if (text === undefined) continue
    for (const [label, re] of CUDA_PACKAGES) if (re.test(text)) found.add(label)
  }
  return CUDA_PACKAGES.map(([label]) => label).filter((l) => found.has(l))
}

export function cudaNote(packages: string[]): string {
  return `the dependencies use CUDA (${packages.join(', ')}): to run on a GPU, the host needs the NVIDIA driver and container toolkit, and the job is started with docker run --rm --gpus all job (the image brings the CUDA libraries through these packages' own wheels, not through its base image)`
}
