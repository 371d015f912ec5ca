/** A stylesheet imported as text; build.ts loads `.css` files minified, as strings. */
declare module '*.css' {
  const css: string;
  export default css;
}
