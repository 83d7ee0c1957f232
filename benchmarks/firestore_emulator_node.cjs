// Starts @firestore-emulator/server (the npm Firestore emulator) on a free loopback port for
// benchmarks/firestore_server.py, prints "listening on 127.0.0.1:PORT", and runs until stdin
// closes (the benchmark's lifetime) or SIGTERM.
//
// The package's own start(port) binds 0.0.0.0 on a fixed port; its gRPC server object is public,
// so it is bound here to 127.0.0.1:0 instead, with the grpc-js copy the package itself uses.
"use strict";

const path = require("node:path");

const entry = require.resolve("@firestore-emulator/server");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(entry)] }));
const { FirestoreServer } = require(entry);

const emulator = new FirestoreServer();
emulator.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  process.stdout.write(`listening on 127.0.0.1:${port}\n`);
});

function stop() {
  emulator.stop();
  process.exit(0);
}

process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
