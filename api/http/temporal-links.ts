/** A link to a workflow in the Temporal Web UI, for people following a process. */
export function temporalWorkflowUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export type WorkflowUrl = (workflowId: string) => string;
