package io.rampart.controlplane.people;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.rampart.controlplane.shared.Caller;
import io.rampart.controlplane.shared.Role;
import io.rampart.controlplane.shared.TenantScope;

class ReachTest {

    static final UUID PROVIDER = UUID.randomUUID();
    static final UUID GROUP = UUID.randomUUID();
    static final UUID PRACTICE = UUID.randomUUID();

    static final Caller ADMIN = new Caller("admin-id", "alice", "Alice", Role.PROVIDER_ADMIN, TenantScope.provider(PROVIDER));
    static final Caller GROUP_MANAGER = new Caller("grace-id", "grace", "Grace", Role.GROUP_MANAGER, new TenantScope(PROVIDER, GROUP, null));
    static final Caller TECHNICIAN = new Caller("tom-id", "tom", "Tom", Role.PROVIDER_TECHNICIAN, TenantScope.provider(PROVIDER));

    static Person person(String id, Role role) {
        return new Person(id, id, id + "@example.org", "A", "B", role, PROVIDER, role == Role.GROUP_MANAGER || role == Role.PRACTICE_MANAGER ? GROUP : null,
                role == Role.PRACTICE_MANAGER ? PRACTICE : null, true, false, null);
    }

    @Test
    void aProviderAdminGivesEveryRoleOfTheProviderButNeverPlatformOperator() {
        for (Role role : new Role[] { Role.PROVIDER_ADMIN, Role.PROVIDER_TECHNICIAN, Role.GROUP_MANAGER, Role.PRACTICE_MANAGER }) {
            assertThat(Reach.refusalToGive(ADMIN, role)).as(role.claimValue()).isEmpty();
        }
        assertThat(Reach.refusalToGive(ADMIN, Role.PLATFORM_OPERATOR)).hasValueSatisfying(
                refusal -> assertThat(refusal).contains("Platform operators are not invited"));
    }

    @Test
    void aGroupManagerGivesOnlyThePracticeManagerRole() {
        assertThat(Reach.refusalToGive(GROUP_MANAGER, Role.PRACTICE_MANAGER)).isEmpty();
        assertThat(Reach.refusalToGive(GROUP_MANAGER, Role.GROUP_MANAGER)).hasValue(
                "A group manager may give only the practice manager role, for a practice of their group");
        assertThat(Reach.refusalToGive(GROUP_MANAGER, Role.PROVIDER_ADMIN)).isPresent();
        assertThat(Reach.refusalToGive(GROUP_MANAGER, Role.PROVIDER_TECHNICIAN)).isPresent();
    }

    @Test
    void aTechnicianGivesNothing() {
        assertThat(Reach.grantable(TECHNICIAN)).isEmpty();
        assertThat(Reach.refusalToGive(TECHNICIAN, Role.PRACTICE_MANAGER)).hasValue("A provider-technician may not give the practice-manager role");
    }

    @Test
    void nobodyChangesThemselvesAndAGroupManagerChangesOnlyPracticeManagers() {
        assertThat(Reach.refusalToManage(ADMIN, person("admin-id", Role.PROVIDER_ADMIN))).hasValue(
                "You cannot change your own access: ask another administrator of your provider");
        assertThat(Reach.refusalToManage(ADMIN, person("other-admin", Role.PROVIDER_ADMIN))).isEmpty();
        assertThat(Reach.refusalToManage(GROUP_MANAGER, person("pat", Role.PRACTICE_MANAGER))).isEmpty();
        assertThat(Reach.refusalToManage(GROUP_MANAGER, person("other-manager", Role.GROUP_MANAGER))).hasValue(
                "A group-manager may not change a group-manager");
        assertThat(Reach.refusalToManage(GROUP_MANAGER, person("no-role", null))).isPresent();
        assertThat(Reach.refusalToManage(ADMIN, person("no-role", null))).isEmpty();
    }
}
