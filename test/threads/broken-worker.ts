// A pool worker for the tests whose module fails to load, as a worker would whose
// WASM library is missing.
throw new Error('broken on load');
