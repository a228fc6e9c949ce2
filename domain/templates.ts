/**
 * Message templates shared by the API and the portal: `{{name}}` marks a parameter, the
 * same syntax the portal's translations use, so a code, its parameters and one template
 * give the text in any language.
 */
export type TemplateParams = Readonly<Record<string, string | number>>;

/** The template with each `{{name}}` replaced by its parameter; unknown names stay as written. */
export function fillTemplate(template: string, params: TemplateParams): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The parameter names a template uses, in order of first appearance. */
export function templateParams(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    const name = match[1] ?? '';
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
