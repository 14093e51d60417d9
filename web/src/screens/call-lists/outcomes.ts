/** The call results and final statuses of A.10.3, as the server names them (call-lists/outcomes). */
export const CALL_RESULTS = ['not_called', 'no_answer', 'answered'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const FINAL_STATUSES = [
  'not_called',
  'no_answer',
  'recall',
  'answered',
  'prospect',
] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];
