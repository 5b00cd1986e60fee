process.once("SIGINT", () => { console.error("got SIGINT"); setTimeout(() => { console.error("cleanup done"); process.exit(130); }, 2000); });
console.log("waiting", process.pid);
await new Promise((r) => setTimeout(r, 60000));
