/**
 * Custom search attributes the workflows set; the dev server registers them at start,
 * a production namespace needs them once (`temporal operator search-attribute create`).
 */
export const SEARCH_ATTRIBUTES: Record<string, string> = {
  PartnerOrganizationId: 'Keyword',
  ApplicationStatus: 'Keyword',
};
