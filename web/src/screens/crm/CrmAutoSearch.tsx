/** Mounted once in the shell, so the customer opens whichever screen the agent is on. */
import { useMyCalls } from '../phone/my-calls';
import { useCrmAutoSearch } from './auto-search';

export function CrmAutoSearch() {
  useCrmAutoSearch(useMyCalls());
  return null;
}
