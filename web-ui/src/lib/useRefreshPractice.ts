import { useQueryClient } from '@tanstack/react-query';
import { practiceKeys } from '../api/queryKeys';

/**
 * After a change to a practice's contacts, exceptions or plan reviews, its lists and its rules
 * (the contacts, plan-review and exception-bound rules depend on them) are read again.
 */
export function useRefreshPractice(practiceId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(
      [practiceKeys.contacts, practiceKeys.exceptions, practiceKeys.reviews, practiceKeys.compliance].map((key) =>
        queryClient.invalidateQueries({ queryKey: key(practiceId) }),
      ),
    );
  };
}
