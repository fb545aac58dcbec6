// kinesalite in its own process: the stream's memory is not the pipeline's, and the
// pipeline process can be killed and restarted while the stream keeps its records.
// Given a folder, it keeps the stream there (LevelDB), so records outlive the
// process and its memory stays flat however much the stream holds.
// It exits when its parent goes away (the IPC channel closes), even after a SIGKILL.
import kinesalite from 'kinesalite';

const port = Number(process.argv[2]);
const path = process.argv[3] || undefined;
const server = kinesalite({ path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 64 });
server.listen(port, '127.0.0.1', () => process.send?.('ready'));
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the stack stops the stream last, after it has
// checked that the consumer loaded everything.
process.on('SIGINT', () => undefined);
// A stop is a SIGTERM: exit as a process should, so a CPU profile (SUPERCAFE_CPU_PROF_DIR) is written.
process.on('SIGTERM', () => process.exit(0));
