import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
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

;// CONCATENATED MODULE: ./src/core/archive/hash-worker.ts
/**
 * The hashing thread (started by deflate-pool.ts; bundled as
 * dist/hash-worker.js and dist/cli/hash-worker.js): sha256 of each file's
 * content, fed with ranges of the shared blocks in archive order. Hashing is
 * sequential per file, so it cannot be split over the compression threads;
 * on its own thread it runs alongside them and leaves the main thread to
 * reading and writing. Requests are answered in order, so a digest covers
 * every range sent before it.
 */


const hashes = new Map();
serve((task) => {
    if (task.op === 'update') {
        const block = new Uint8Array(task.input);
        for (const [file, start, end] of task.ranges) {
            let h = hashes.get(file);
            if (!h)
                hashes.set(file, (h = (0,external_node_crypto_namespaceObject.createHash)('sha256')));
            h.update(block.subarray(start, end));
        }
        return null;
    }
    const h = hashes.get(task.file) ?? (0,external_node_crypto_namespaceObject.createHash)('sha256');
    hashes.delete(task.file);
    return h.digest('hex');
});

