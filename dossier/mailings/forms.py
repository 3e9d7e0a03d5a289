"""Forms for mailings: the letter with its recipients filter, and correcting one answer."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from dossier.customers.forms import KIND_LABELS, STATUS_LABELS
from dossier.customers.segment_models import Segment
from dossier.documents.forms import scope_choices
from dossier.mailings.models import Mailing, MailingRecipient
from dossier.mailings.queries import RecipientFilter
from dossier.mailings.services import MailingInput

NOT_RESPONDED = ""
UNKNOWN_ANSWER = "unknown"


def _any_of(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice("", _l("All")), *(SelectChoice(value, label)
                                         for value, label in labels.items())]


class MailingForm(FlaskForm):
    """What the service checks is checked there, so every caller gets the same messages."""

    name = StringField(_l("Name"), description=_l("For you and your colleagues; not printed."))
    scope = SelectField(_l("Scope"), validate_choice=False)
    subject = StringField(_l("Subject"))
    body = TextAreaField(_l("Letter text"), render_kw={"rows": 12},
                         description=_l("Printed as typed, below the address; one page."))
    answer_options = TextAreaField(
        _l("Answers"), render_kw={"rows": 4},
        description=_l("One per line, two to five. Each gets a tick box on the reply coupon."))
    store_coupon_images = BooleanField(
        _l("Keep each returned coupon as a document in the customer's dossier"))
    q = StringField(_l("Search"), description=_l("Name, customer number, postcode or e-mail"))
    kind = SelectField(_l("Kind"), choices=_any_of(KIND_LABELS), validate_choice=False)
    status = SelectField(_l("Status"), choices=_any_of(STATUS_LABELS), validate_choice=False)
    postcode = StringField(_l("Postcode starts with"), description=_l("For example 1234 or 12."))
    city = StringField(_l("City"))
    segment = SelectField(_l("Segment"), validate_choice=False,
                          description=_l("Only customers of this saved segment."))

    def offer_scopes(self, scopes: list[str]) -> None:
        self.scope.choices = scope_choices(scopes)
        if self.scope.data is None and len(scopes) == 1:
            self.scope.data = scopes[0]

    def offer_segments(self, segments: list[Segment]) -> None:
        self.segment.choices = [SelectChoice("", _l("None: all customers")), *(
            SelectChoice(str(segment.id), segment.name) for segment in segments)]
        self._segments = {str(segment.id): segment for segment in segments}

    def chosen_segment(self) -> Segment | None:
        return getattr(self, "_segments", {}).get(self.segment.data or "")

    def recipient_filter(self) -> RecipientFilter:
        return RecipientFilter.from_input(self.q.data or "", self.kind.data or "",
                                          self.status.data or "", self.postcode.data or "",
                                          self.city.data or "", self.chosen_segment())

    def mailing_input(self) -> MailingInput:
        return MailingInput(
            name=self.name.data or "", scope=self.scope.data or "",
            subject=self.subject.data or "", body=self.body.data or "",
            answer_options=(self.answer_options.data or "").splitlines(),
            recipients=self.recipient_filter(),
            store_coupon_images=bool(self.store_coupon_images.data))


def default_answers() -> str:
    return "\n".join((_("Yes"), _("No"), _("Maybe")))


def answer_choices(mailing: Mailing) -> list[SelectChoice]:
    """Not responded, responded with the answer unknown, or one of the mailing's answers
    (by position, so any text an answer holds is safe in a form value)."""
    return [SelectChoice(NOT_RESPONDED, _l("Not responded")),
            SelectChoice(UNKNOWN_ANSWER, _l("Responded, answer unknown")),
            *(SelectChoice(str(index), option)
              for index, option in enumerate(mailing.answer_options))]


def answer_value(mailing: Mailing, recipient: MailingRecipient) -> str:
    """The `answer_choices` value that shows the recipient's response as it is now."""
    if not recipient.responded:
        return NOT_RESPONDED
    if recipient.answer in mailing.answer_options:
        return str(mailing.answer_options.index(recipient.answer))
    return UNKNOWN_ANSWER


def parse_answer(mailing: Mailing, value: str | None) -> tuple[bool, str | None] | None:
    """(responded, answer) for a value of `answer_choices`, None if it is not one."""
    if value == NOT_RESPONDED:
        return False, None
    if value == UNKNOWN_ANSWER:
        return True, None
    if value is not None and value.isdigit() and int(value) < len(mailing.answer_options):
        return True, mailing.answer_options[int(value)]
    return None
