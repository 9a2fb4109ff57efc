/**
 * GPU jobs: does the Python environment ask for CUDA, and does the image get
 * a CUDA runtime base for it (the `gpu` option)?
 *
 * Detection only reads the dependency files it already reads (each up to
 * MAX_MANIFEST_BYTES; a larger lock is read from its head) for the names of
 * packages that use CUDA — torch, tensorflow's and-cuda extra, jax's cuda
 * extras, cupy's CUDA wheels, NVIDIA's CUDA library wheels, conda's
 * pytorch-cuda. A torch that is visibly the CPU-only build (a `+cpu` local
 * version, or the CPU wheel index's `/whl/cpu` path) does not count.
 *
 * `gpu` (default auto):
 * - auto: when such packages are found in a pip-installed Python job, the
 *   base becomes a CUDA runtime image (CUDA_IMAGES);
 * - cuda: always, for a pip-installed Python job;
 * - an image reference: like cuda, on that image (another CUDA release, a
 *   mirror); it must be Ubuntu or Debian based, since Python comes from apt;
 * - off: never; the note still says how to run on a GPU.
 *
 * Why a CUDA base at all, when PyTorch's and JAX's wheels carry their own
 * CUDA libraries: not every CUDA package does (CuPy's wheels, jax's
 * cuda12_local, onnxruntime-gpu and compiled extensions expect the CUDA
 * runtime and cuDNN on the system), and NVIDIA's image declares the CUDA
 * release it needs (NVIDIA_REQUIRE_CUDA), so a host whose driver is too old
 * fails when the container starts, with that message, rather than in the
 * middle of the job. The price is a larger image and Ubuntu's Python
 * instead of the official python image's (said in notes, job.json and the
 * frozen report: python3 comes from apt when the image is built).
 *
 * The CUDA images have no Python. The Dockerfile installs Ubuntu's python3
 * and python3-venv and makes a virtual environment at CUDA_PYTHON_DIR, put
 * first on PATH in an ENV of its own (before the installers' ENV, whose
 * PATH entries, e.g. uv's /opt/venv/bin, then come in front of it): every
 * installer's `python3 -m pip` then installs into it as it does into the
 * official image's Python, and Ubuntu 24.04's python3, which refuses pip
 * installs into the system (EXTERNALLY-MANAGED), is left alone.
 */
import { defaultNamer, type OptionNamer } from '../options/names.js'
import { MAX_MANIFEST_BYTES, type CodeFiles } from './files.js'
import type { Float, InstallStep } from './install.js'
import { nearest, PYTHON_VERSIONS } from './python.js'
import { parsePep440, parsePoetryConstraint } from './versions.js'

export const GPU_MODES = ['auto', 'cuda', 'off'] as const
export type GpuMode = (typeof GPU_MODES)[number]
/** What the `gpu` option holds: a mode, or a CUDA image reference (validated by the registry's kind). */
export type GpuRequest = GpuMode | (string & {})
export const DEFAULT_GPU: GpuMode = 'auto'

/**
 * The CUDA release of the images job-packager chooses: 12.6 is a release
 * PyTorch's Linux wheels are built for (cu126), within the 12.x line, whose
 * minor-version compatibility lets it run on the older drivers NVIDIA's
 * image accepts; a newer GPU generation or an older driver may want another
 * release (`gpu: <image>`). A constant, so every package gets the same tag
 * (then pinned by digest) until it is changed here on purpose.
 */
export const CUDA_VERSION = '12.6.3'

/**
 * NVIDIA's CUDA runtime images, `cudnn-runtime` flavour (the CUDA runtime
 * libraries and cuDNN, no compiler: a job runs code, it does not build CUDA
 * kernels), one per Ubuntu release, keyed by the python3 that release ships.
 * The tag is pinned by digest when packaging like any base (oci/pin.ts).
 */
export const CUDA_IMAGES: ReadonlyArray<{ python: string; ubuntu: string; image: string }> = [
  { python: '3.12', ubuntu: '24.04', image: `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu24.04` },
  { python: '3.10', ubuntu: '22.04', image: `nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-ubuntu22.04` }
]
/** The python3 of the Ubuntu releases a CUDA image may name in its tag (`…-ubuntu22.04`). */
const UBUNTU_PYTHON: Readonly<Record<string, string>> = { '20.04': '3.8', '22.04': '3.10', '24.04': '3.12' }

/** The CUDA base's Python: a virtual environment of Ubuntu's python3. */
export const CUDA_PYTHON_DIR = '/opt/python'
/** Its own ENV instruction, before the installers' (see above). */
export const CUDA_PYTHON_ENV = [`PATH=${CUDA_PYTHON_DIR}/bin:\${PATH}`]
const CUDA_PYTHON_PACKAGES = ['python3', 'python3-venv']

/** How to run a GPU job; the host needs the NVIDIA driver and the NVIDIA Container Toolkit. */
export const GPU_RUN = 'docker run --rm --gpus all job'

/** The job is run with GPUs: it builds on a CUDA base, or its dependencies use CUDA (whatever the base). */
export function runsOnGpu(choice: GpuChoice | undefined): boolean {
  return choice !== undefined && (choice.selected || choice.detected.length > 0)
}

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
/** A torch pinned to a `+cpu` build, or installed from the CPU-only wheel index. */
const CPU_TORCH = [/(^|["'\s=[,])torch\s*(?:\[[^\]]*\])?\s*={1,3}\s*[0-9][^\s"',;]*\+cpu/m, /\/whl\/cpu\b/]

export interface CudaFinding {
  /** The CUDA-using packages named in the Python dependency files, in a fixed order. */
  packages: string[]
  /** Files where torch is the CPU-only build (not counted in `packages` because of them). */
  cpuOnlyTorch: string[]
}

export async function detectCuda(files: CodeFiles): Promise<CudaFinding> {
  const found = new Set<string>()
  const cpuOnlyTorch: string[] = []
  for (const name of FILES) {
    if (!(await files.isRegularFile(name))) continue
    const text = await files.head(name, MAX_MANIFEST_BYTES)
    if (text === undefined) continue
    for (const [label, re] of CUDA_PACKAGES) {
      if (!re.test(text)) continue
      if (label === 'torch' && CPU_TORCH.some((cpu) => cpu.test(text))) cpuOnlyTorch.push(name)
      else found.add(label)
    }
  }
  return { packages: CUDA_PACKAGES.map(([label]) => label).filter((l) => found.has(l)), cpuOnlyTorch }
}

/** What the job.json `environment.gpu` section records. */
export interface GpuChoice {
  /** The gpu option's value: auto, cuda, off or a CUDA image. */
  requested: GpuRequest
  /** CUDA-using packages found (empty when none, or when the runtime is not Python). */
  detected: string[]
  /** Whether the base is a CUDA runtime image. */
  selected: boolean
  /** The CUDA image chosen, before pinning (the pin is in base_image_pin). */
  base?: string
  /** The python3 of the CUDA base's Ubuntu, when it is known. */
  python?: string
  /** Why it was selected or not, in a few words. */
  reason: string
}

export interface GpuSelectInput {
  requested: GpuRequest
  detected: string[]
  /** The runtime detection chose; the CUDA base applies to 'python' (pip-based installs) only. */
  runtime: string
  /** The base-image option is set: it wins over the GPU choice. */
  baseImageGiven: boolean
  names?: OptionNamer
}

export interface GpuSelection {
  selected: boolean
  /**
   * Why, in our fixed words and the spec's option names (`gpu: auto`), never
   * a shell's: it goes into the Dockerfile's comment, which the content
   * digest covers, so the CLI and the Action must write the same text.
   */
  reason: string
  /** Said as a note, or (when the user asked for a CUDA base and does not get it) as a warning; names options as the user's shell does. */
  message?: { level: 'note' | 'warning'; text: string }
}

/** The selection alone (no files, no versions), so it can be tested on its own. */
export function selectGpu({ requested, detected, runtime, baseImageGiven, names = defaultNamer }: GpuSelectInput): GpuSelection {
  if (requested === 'off') return { selected: false, reason: 'gpu: off' }
  const explicit = requested !== 'auto'
  if (!explicit && detected.length === 0) return { selected: false, reason: 'no CUDA-using packages found' }
  // An image is named in job.json's gpu.requested and as the base: the reason need not repeat it.
  const reason = requested === 'cuda' ? 'gpu: cuda' : explicit ? 'gpu: a CUDA image of the user' : `gpu: auto, for ${detected.join(', ')}`
  const said = explicit ? names('gpu', requested) : `The dependencies use CUDA (${detected.join(', ')}) and ${names('gpu', 'auto')} is set`
  if (runtime !== 'python') {
    const why =
      runtime === 'conda'
        ? 'a conda environment brings CUDA through its own packages (e.g. pytorch-cuda), on the micromamba base'
        : `the CUDA base applies to Python jobs only (this one is ${runtime === 'generic' ? 'neither Python, Node, R nor Julia' : runtime})`
    return {
      selected: false,
      reason: why,
      message: { level: explicit ? 'warning' : 'note', text: `${said}, but no CUDA base is used: ${why}` }
    }
  }
  if (baseImageGiven)
    return {
      selected: false,
      reason: 'the base-image option wins over the GPU choice',
      message: {
        level: 'note',
        text: `${said}, but ${names('baseImage')} wins over the GPU choice: no CUDA base is chosen, and the Python installs expect python3 on the given image`
      }
    }
  return { selected: true, reason }
}

export interface CudaBasePlan {
  image: string
  /** Ubuntu's python3 on that image, when the tag says which Ubuntu. */
  python?: string
  ubuntu?: string
  step: InstallStep
  floats: Float[]
  notes: string[]
  warnings: string[]
}

export interface PythonWanted {
  version: string
  versionFrom: string
  constraint?: string
}

/**
 * The CUDA image for a Python job, and how its Python is installed. With
 * `gpu: cuda`/`auto` the image is the one of CUDA_IMAGES whose Ubuntu ships
 * the Python the project asks for; when none does, the nearest one the
 * project's range allows, else the nearest one, said in a note (within the
 * range) or a warning (outside it, or against an exact pin).
 */
export function planCudaBase(requested: GpuRequest, wanted: PythonWanted, names: OptionNamer = defaultNamer): CudaBasePlan {
  const notes: string[] = []
  const warnings: string[] = []
  let image: string
  let ubuntu: string | undefined
  let python: string | undefined
  const exact = wanted.versionFrom === '.python-version' || wanted.versionFrom === 'runtime.txt'
  const range = wanted.constraint === undefined ? undefined : (parsePep440(wanted.constraint) ?? parsePoetryConstraint(wanted.constraint))
  const allows = (v: string): boolean => (exact ? v === wanted.version : range ? range.allows(v) : v === wanted.version)

  if (requested === 'auto' || requested === 'cuda') {
    const pythons = CUDA_IMAGES.map((i) => i.python)
    const inRange = pythons.filter(allows)
    const version = nearest(inRange, PYTHON_VERSIONS, wanted.version) ?? nearest(pythons, PYTHON_VERSIONS, wanted.version)!
    const chosen = CUDA_IMAGES.find((i) => i.python === version)!
    ;({ image, ubuntu, python } = chosen)
  } else {
    image = requested
    ubuntu = /-ubuntu(\d{2}\.\d{2})(?:$|[^0-9])/.exec(requested.split('@')[0]!.split(':').at(-1) ?? '')?.[1]
    python = ubuntu === undefined ? undefined : UBUNTU_PYTHON[ubuntu]
    if (python === undefined)
      notes.push(
        `the CUDA base ${image} does not name an Ubuntu release job-packager knows in its tag: its python3 is installed from the image's own apt sources, at a version not known when packaging`
      )
  }
  if (python !== undefined && python !== wanted.version) {
    const has = `the CUDA base ${image} has Python ${python} (Ubuntu ${ubuntu}'s python3)`
    const declared = wanted.constraint === undefined || exact ? wanted.versionFrom : `${wanted.versionFrom} ${wanted.constraint}`
    if (wanted.versionFrom === 'default') notes.push(`${has}, not the default ${wanted.version}`)
    else if (allows(python)) notes.push(`${declared} allows Python ${python}: ${has}; without a CUDA base it would be ${wanted.version}`)
    else
      warnings.push(
        `${declared} asks for Python ${wanted.version}, but ${has}, which it does not allow. To keep Python ${wanted.version}: ${names('gpu', 'off')} (the python:${wanted.version}-slim-bookworm base; torch's and jax's CUDA wheels work there too), or ${names('gpu', '<a CUDA image whose Ubuntu ships Python ' + wanted.version + '>')}`
      )
  }
  const from = ubuntu === undefined ? "the image's apt sources" : `Ubuntu ${ubuntu}'s archive`
  return {
    image,
    python,
    ubuntu,
    step: {
      from: 'gpu',
      stage: 'system',
      copy: [],
      run: `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${CUDA_PYTHON_PACKAGES.join(' ')} && rm -rf /var/lib/apt/lists/* && python3 -m venv ${CUDA_PYTHON_DIR}`
    },
    floats: CUDA_PYTHON_PACKAGES.map((name) => ({
      kind: 'system-package' as const,
      name,
      from: 'gpu',
      why: `the CUDA base has no Python: installed from ${from} when the image is built, at the patch release it has then`
    })),
    notes,
    warnings
  }
}

/** The note on CUDA-using packages: what they are, whether the base changed, and how to run on a GPU. */
export function cudaNote(packages: string[], selection: GpuSelection, base?: string): string {
  const uses = `the dependencies use CUDA (${packages.join(', ')})`
  const run = `to run on a GPU, the host needs the NVIDIA driver and the NVIDIA Container Toolkit, and the job is started with ${GPU_RUN}`
  if (selection.selected) return `${uses}: the base is the CUDA runtime image ${base ?? ''}; ${run}`
  return `${uses}: ${run} (the base image is not a CUDA image: ${selection.reason}; these packages' own wheels bring the CUDA libraries they need, where they have them)`
}

/** Said when torch is the CPU-only build, so that leaving it out of the CUDA packages is not silent. */
export function cpuTorchNote(files: string[]): string {
  return `torch in ${files.join(', ')} is the CPU-only build (+cpu, or the CPU wheel index): it does not count as a CUDA package`
}
