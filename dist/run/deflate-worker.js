import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
var external_node_zlib_default = /*#__PURE__*/__nccwpck_require__.n(external_node_zlib_namespaceObject);
;// CONCATENATED MODULE: ./src/core/archive/block-codec.ts
/**
 * How one block of the archive's byte stream becomes deflate bytes. This is
 * the only code that decides what the compressed archive looks like, and it
 * has one definition: the compression threads (deflate-worker.ts) import
 * `compressBlock` from here, and so does the main thread for archives too
 * small to be worth a thread (parallel-gzip.ts). Two copies could drift
 * apart; one function cannot.
 *
 * The output of `compressBlock` depends only on the block's bytes and the
 * level — never on neighbouring blocks, timing or thread count — which is what
 * keeps archives byte-identical however many threads compressed them.
 */

/** Input bytes per block. Part of the output format: changing it changes every archive's bytes. */
const BLOCK_SIZE = 1024 * 1024;
/** Size of an output buffer: a compressed block is only kept if smaller than the block stored, which is at most this. */
const OUTPUT_SIZE = BLOCK_SIZE + 1024;
/** Largest payload of one stored deflate block (LEN is 16 bits). */
const STORED_MAX = 65535;
/** The incompressibility sample: PIECES pieces of PIECE bytes, spread over the block. */
const PIECE = 4096;
const PIECES = 4;
/**
 * Raw deflate bytes for `input` that end on a byte boundary without the
 * final-block bit (a sync flush: zlib appends an empty stored block), or
 * `null` when the block is to be stored as it is.
 *
 * Incompressible input (already-compressed datasets, images, parquet) is
 * detected from a sample: four 4 KiB pieces spread over the block, deflated
 * together. If the sample does not shrink by at least 1/32, the block is
 * stored without running deflate over the whole of it, so such data costs
 * about a copy instead of a full deflate (which runs at ~40 MB/s on random
 * bytes and gains nothing). One deflate call for the sample, not four:
 * setting up a zlib stream allocates and clears ~300 KB, which costs more
 * than deflating 4 KiB. The sample only decides; a block that passes it is
 * still stored if its compressed form turns out no smaller than storing it.
 */
function compressBlock(input, level) {
    if (input.length >= PIECE * PIECES * 4) {
        const sample = Buffer.allocUnsafe(PIECE * PIECES);
        const step = Math.floor((input.length - PIECE) / (PIECES - 1));
        for (let i = 0; i < PIECES; i++)
            input.copy(sample, i * PIECE, i * step, i * step + PIECE);
        if (external_node_zlib_default().deflateRawSync(sample, { level }).length > sample.length - sample.length / 32)
            return null;
    }
    // One output chunk big enough for any block that is worth compressing, so
    // zlib allocates once per block instead of once per 16 KiB.
    const out = external_node_zlib_default().deflateRawSync(input, { level, finishFlush: (external_node_zlib_default()).constants.Z_SYNC_FLUSH, chunkSize: input.length + 1024 });
    const stored = input.length + 5 * Math.ceil(input.length / STORED_MAX);
    return out.length < stored ? out : null;
}
/**
 * Stored deflate blocks for `input`: a 5-byte header (BFINAL 0, BTYPE 00,
 * already byte-aligned because every block before ends on a byte boundary;
 * LEN; NLEN) before each run of at most 65535 bytes. The payload is not
 * copied: the chunks are views of `input`, written with one writev.
 */
function storedBlocks(input) {
    const chunks = [];
    for (let off = 0; off < input.length; off += STORED_MAX) {
        const len = Math.min(STORED_MAX, input.length - off);
        const header = Buffer.allocUnsafe(5);
        header[0] = 0;
        header.writeUInt16LE(len, 1);
        header.writeUInt16LE(~len & 0xffff, 3);
        chunks.push(header, input.subarray(off, off + len));
    }
    return chunks;
}

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: ./src/core/archive/worker-protocol.ts
/**
 * The messages between the archive's main thread (deflate-pool.ts) and its
 * worker threads (deflate-worker.ts, hash-worker.ts), typed once for both
 * sides, and the loop a worker runs to answer them.
 *
 * A request carries an id and a task; every request is answered exactly once,
 * with the same id, by a result or by the message of the error the task threw.
 * A task names shared buffers instead of carrying bytes: structured clone
 * passes a SharedArrayBuffer by reference, so nothing is copied to or from a
 * thread.
 */

/** Answers every request from the main thread with `handle`'s result, in the order received. For the worker modules only. */
function serve(handle) {
    const port = external_node_worker_threads_namespaceObject.parentPort;
    // Loaded as a main script by mistake, it would otherwise wait for messages that never come.
    if (!port)
        throw new Error('This module is a worker thread of the archive writer; it does not run on its own.');
    port.on('message', ({ id, task }) => {
        let reply;
        try {
            reply = { id, ok: true, result: handle(task) };
        }
        catch (err) {
            reply = { id, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
        port.postMessage(reply);
    });
}

;// CONCATENATED MODULE: ./src/core/archive/deflate-worker.ts
/**
 * A compression thread (started by deflate-pool.ts; bundled as
 * dist/deflate-worker.js and dist/cli/deflate-worker.js). Blocks live in
 * SharedArrayBuffers that the main thread allocates once and reuses for the
 * whole archive: the thread reads the input block, writes the deflate bytes
 * into the block's output buffer, and answers with their length (-1: store
 * the block) and the block's CRC-32. No bytes are copied to or from the
 * thread, and the garbage collector never sees a megabyte per block.
 */



serve(({ input, length, output, level }) => {
    const block = Buffer.from(input, 0, length);
    const crc = external_node_zlib_default().crc32(block);
    const out = compressBlock(block, level);
    if (!out)
        return { outLength: -1, crc };
    if (out.length > output.byteLength)
        throw new Error('compressed block larger than its output buffer');
    new Uint8Array(output).set(out);
    return { outLength: out.length, crc };
});

