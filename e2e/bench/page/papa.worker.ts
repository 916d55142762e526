// Bare papaparse in a module worker, on the same File, for a like-for-like comparison with
// Guestlist's csv.worker.ts (which also streams the File in a worker).
import Papa from "papaparse";

self.onmessage = (event: MessageEvent<File>) => {
  Papa.parse<Record<string, string>>(event.data, {
    worker: false,
    header: true,
    skipEmptyLines: true,
    complete(results) {
      self.postMessage({ rows: results.data.length });
    },
    error(error) {
      self.postMessage({ error: error.message });
    },
  });
};
