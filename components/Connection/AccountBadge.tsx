import type { User } from '../../core/schema';
import { useLocale } from '../locale';
import { initials, roleLabel } from '../Sidebar/status';

/**
 * Who this browser is signed in as, in the small form the popup and the dashboard header share (the settings page
 * shows a larger one with the e-mail address). `class` adds the place's own layout.
 */
export function AccountBadge({ user, class: place }: { user: Pick<User, 'name' | 'role'>; class?: string }) {
  const locale = useLocale();
  return (
    <div class={place ? `hw-account ${place}` : 'hw-account'}>
      <span class="hw-avatar" aria-hidden="true">
        {initials(user.name)}
      </span>
      <div>
        <p class="hw-account-name hw-account-name--small">{user.name}</p>
        <p class="hw-account-meta">{roleLabel(user.role, locale)}</p>
      </div>
    </div>
  );
}
