// Vite's client types: `?url` imports (the generated data files) and `import.meta.env`.
/// <reference types="vite/client" />
