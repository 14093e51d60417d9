/** A group's members on its detail screen (§11-2): the checklist and skill levels, saved at once. */
import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../api/client';
import { useWords } from '../i18n';
import { useSession } from '../session';
import { useToast } from '../ui/toast';
import type { SectionProps } from './descriptor';
import { MembersInput } from './FieldInput';

export function GroupMembers(props: SectionProps) {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [members, setMembers] = useState<unknown>([]);
  useEffect(() => {
    void api
      .call('get', '/api/v1/groups/{id}/members', { path: { id: props.id } })
      .then((answer) => setMembers(answer.items));
  }, [api, props.id]);

  async function save() {
    try {
      const body = {
        members: (members as { agentId: number; skillLevel?: number }[]).map((m) => ({
          agentId: m.agentId,
          skillLevel: m.skillLevel ?? 1,
        })),
      };
      await api.call('put', '/api/v1/groups/{id}/members', { path: { id: props.id }, body });
      toast.done(t('saved'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <div class="group-members" data-testid="group-members">
      <MembersInput value={members} onChange={setMembers} />
      {can('groups.update') && (
        <button type="button" data-testid="save-members" onClick={() => void save()}>
          {t('save')}
        </button>
      )}
    </div>
  );
}
