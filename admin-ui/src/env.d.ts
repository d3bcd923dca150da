// Lets TypeScript accept Vite's CSS imports.
declare module '*.css';
