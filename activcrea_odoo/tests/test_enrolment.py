from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ActivcreaCase


@tagged("post_install", "-at_install")
class TestEnrolment(ActivcreaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.person = cls.env["res.partner"].create(
            {"name": "Camille LEFEBVRE", "france_travail_id": "1234567A"}
        )
        cls.reason_bilan = cls.env.ref("activcrea_odoo.reason_bilan_1")
        cls.reason_exit = cls.env.ref("activcrea_odoo.reason_early_exit_1")
        cls.reason_abandon = cls.env.ref("activcrea_odoo.reason_abandon_1")

    def _enrolment(self, **values):
        return self.env["activcrea.enrolment"].create(
            {
                "partner_id": self.person.id,
                "ods_id": self.ods.id,
                "resource_id": self.resource.id,
                "site_id": self.site_arm.id,
                "start_date": date(2026, 1, 12),
                "user_id": self.counselor.id,
                **values,
            }
        )

    def test_form_and_theoretical_end(self):
        with Form(self.env["activcrea.enrolment"].with_user(self.counselor)) as form:
            form.partner_id = self.person
            form.ods_id = self.ods
            form.resource_id = self.resource
            form.site_id = self.site_arm
            form.start_date = date(2026, 1, 12)
        enrolment = form.record
        self.assertEqual(enrolment.end_date, date(2026, 4, 12), "start + 90 days")
        self.assertEqual(enrolment.company_id, self.company)
        enrolment.end_date = date(2026, 4, 30)
        self.assertEqual(enrolment.end_date, date(2026, 4, 30), "editable")
        self.assertEqual(self.person.activcrea_enrolment_count, 1)

    def test_situations(self):
        enrolment = self._enrolment()
        self.assertEqual(enrolment.situation, "awaiting")
        self.assertFalse(enrolment.is_closed)
        enrolment.diagnostic_outcome = "continued"
        self.assertEqual(enrolment.situation, "in_progress")
        enrolment.write(
            {
                "bilan_date": date(2026, 4, 1),
                "bilan_outcome": "relevant",
                "bilan_reason_id": self.reason_bilan.id,
            }
        )
        self.assertEqual(enrolment.situation, "bilan")
        self.assertTrue(enrolment.is_closed)
        enrolment.write({"bilan_date": False, "bilan_outcome": False, "bilan_reason_id": False})
        enrolment.write(
            {"early_exit_date": date(2026, 3, 1), "early_exit_reason_id": self.reason_exit.id}
        )
        self.assertEqual(enrolment.situation, "early_exit")
        enrolment.write({"early_exit_date": False, "early_exit_reason_id": False})
        enrolment.write(
            {"abandon_date": date(2026, 2, 1), "abandon_reason_id": self.reason_abandon.id}
        )
        self.assertEqual(enrolment.situation, "abandoned")
        redirected = self._enrolment(start_date=date(2026, 2, 2), diagnostic_outcome="redirected")
        self.assertEqual(redirected.situation, "finished")

    def test_only_one_exit(self):
        enrolment = self._enrolment(diagnostic_outcome="continued", bilan_date=date(2026, 4, 1))
        with self.assertRaisesRegex(ValidationError, "Only one"):
            enrolment.abandon_reason_id = self.reason_abandon
        with self.assertRaisesRegex(ValidationError, "Only one"):
            enrolment.early_exit_date = date(2026, 3, 1)

    def test_action_counts(self):
        enrolment = self._enrolment()
        past = self._slot(datetime(2026, 1, 12, 8, 0))
        past.partner_ids = [Command.link(self.person.id)]
        past.attendee_ids.filtered(lambda a: a.partner_id == self.person).activcrea_attended = "yes"
        missed = self._slot(datetime(2026, 1, 19, 8, 0))
        missed.partner_ids = [Command.link(self.person.id)]
        future = self._slot(datetime(2026, 2, 2, 8, 0), activcrea_step_id=self.step_coaching.id)
        future.partner_ids = [Command.link(self.person.id)]
        with freeze_time("2026-01-25 10:00:00"):
            enrolment.invalidate_recordset()
            self.assertEqual(enrolment.past_action_count, 1, "only attended « yes » counts")
            self.assertEqual(enrolment.future_action_count, 1)
            self.assertTrue(enrolment.has_action)
            self.assertEqual(
                self.env["activcrea.enrolment"].search([("has_future_action", "=", True)]),
                enrolment,
            )

    def test_dashboard_condition(self):
        shown = self._enrolment(order_number="2026000101")
        self._slot(datetime(2026, 1, 12, 8, 0)).partner_ids = [Command.link(self.person.id)]
        other = self.env["res.partner"].create({"name": "No action"})
        hidden = self._enrolment(partner_id=other.id, order_number="2026000102")
        domain = [
            ("is_activcrea", "=", True),
            ("has_action", "=", True),
            ("form_filled", "=", True),
        ]
        self.assertEqual(self.env["activcrea.enrolment"].search(domain), shown)
        self.assertNotIn(hidden, self.env["activcrea.enrolment"].search(domain))

    def _alerts(self):
        Enrolment = self.env["activcrea.enrolment"]
        return (
            Enrolment.search([("alert_ending_soon", "=", True)]),
            Enrolment.search([("alert_overdue", "=", True)]),
        )

    def test_alerts_on_and_off(self):
        enrolment = self._enrolment(diagnostic_outcome="continued")  # started 12/01/2026
        with freeze_time("2026-04-04"):  # 82 days
            self.assertEqual(self._alerts(), (enrolment.browse(), enrolment.browse()))
        with freeze_time("2026-04-05"):  # 83 days
            self.assertEqual(self._alerts()[0], enrolment)
            enrolment.invalidate_recordset()
            self.assertTrue(enrolment.alert_ending_soon)
            self.assertFalse(enrolment.alert_overdue)
            # an action planned from today on switches it off
            slot = self._slot(datetime(2026, 4, 7, 8, 0), activcrea_step_id=self.step_coaching.id)
            slot.partner_ids = [Command.link(self.person.id)]
            self.assertFalse(self._alerts()[0])
            slot.unlink()
        with freeze_time("2026-04-10"):  # 88 days
            self.assertEqual(self._alerts(), (enrolment, enrolment.browse()))
        with freeze_time("2026-04-11"):  # 89 days
            self.assertEqual(self._alerts(), (enrolment, enrolment.browse()))
        with freeze_time("2026-04-12"):  # 90 days: the overdue alert takes over, alone
            self.assertEqual(self._alerts(), (enrolment.browse(), enrolment))
        with freeze_time("2026-04-16"):  # 95 days: still one alert
            self.assertEqual(self._alerts(), (enrolment.browse(), enrolment))
            enrolment.invalidate_recordset()
            self.assertEqual((enrolment.alert_ending_soon, enrolment.alert_overdue), (False, True))
            enrolment.write(
                {"abandon_date": date(2026, 4, 12), "abandon_reason_id": self.reason_abandon.id}
            )
            self.assertEqual(self._alerts(), (enrolment.browse(), enrolment.browse()))
        redirected = self._enrolment(start_date=date(2026, 1, 1), diagnostic_outcome="redirected")
        with freeze_time("2026-06-01"):
            self.assertNotIn(redirected, self._alerts()[1])

    def test_alert_fields_follow_writes_in_the_same_transaction(self):
        """The alert fields declare what they read: no stale value after a write."""
        enrolment = self._enrolment(diagnostic_outcome="continued")  # started 12/01/2026
        with freeze_time("2026-04-08"):  # 86 days
            self.assertTrue(enrolment.alert_ending_soon)
            slot = self._slot(datetime(2026, 4, 9, 8, 0), activcrea_step_id=self.step_coaching.id)
            slot.partner_ids = [Command.link(self.person.id)]
            self.assertFalse(enrolment.alert_ending_soon, "a meeting is planned")
            slot.active = False
            self.assertTrue(enrolment.alert_ending_soon, "the meeting is archived")
        with freeze_time("2026-04-20"):  # 98 days
            enrolment.invalidate_recordset()
            self.assertTrue(enrolment.alert_overdue)
            enrolment.write(
                {"early_exit_date": date(2026, 4, 20), "early_exit_reason_id": self.reason_exit.id}
            )
            self.assertFalse(enrolment.alert_overdue, "an exit is recorded")
            enrolment.write({"early_exit_date": False, "early_exit_reason_id": False})
            self.assertTrue(enrolment.alert_overdue)
            enrolment.diagnostic_outcome = "redirected"
            self.assertFalse(enrolment.alert_overdue, "redirected to France Travail")

    def test_alert_cron_schedules_once_and_closes(self):
        enrolment = self._enrolment(diagnostic_outcome="continued")
        activity_type = self.env.ref("activcrea_odoo.mail_activity_type_alert_overdue")

        def activities():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "activcrea.enrolment"),
                    ("res_id", "=", enrolment.id),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )

        with freeze_time("2026-04-12"):
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertEqual(len(activities()), 1)
            self.assertEqual(activities().user_id, self.counselor)
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertEqual(len(activities()), 1, "never twice the same")
            activities().action_feedback(feedback="seen")
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertFalse(activities(), "done by the referent: not scheduled again")
        with freeze_time("2026-04-13"):
            enrolment.write({"bilan_date": date(2026, 4, 13), "bilan_outcome": "relevant"})
            enrolment.alert_overdue_notified = True
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertFalse(enrolment.alert_overdue_notified, "episode closed")

    def test_alert_cron_closes_open_activity(self):
        enrolment = self._enrolment(diagnostic_outcome="continued")
        with freeze_time("2026-04-12"):
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertEqual(
                enrolment.activity_ids.activity_type_id,
                self.env.ref("activcrea_odoo.mail_activity_type_alert_overdue"),
                "one alert, one activity: at 90 days the overdue alert replaces the other",
            )
            enrolment.write({"bilan_date": date(2026, 4, 12), "bilan_outcome": "relevant"})
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertFalse(enrolment.activity_ids)

    def test_alert_cron_hands_over_at_the_theoretical_end(self):
        """Day 89: the "ends soon" activity; day 90: it is closed and the overdue one opens."""
        enrolment = self._enrolment(diagnostic_outcome="continued")  # started 12/01/2026
        ending = self.env.ref("activcrea_odoo.mail_activity_type_alert_ending_soon")
        overdue = self.env.ref("activcrea_odoo.mail_activity_type_alert_overdue")
        with freeze_time("2026-04-11"):  # 89 days
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertEqual(enrolment.activity_ids.activity_type_id, ending)
        with freeze_time("2026-04-12"):  # 90 days
            self.env["activcrea.enrolment"]._cron_alerts()
            self.assertEqual(enrolment.activity_ids.activity_type_id, overdue)
            self.assertEqual(
                (enrolment.alert_ending_soon_notified, enrolment.alert_overdue_notified),
                (False, True),
            )
