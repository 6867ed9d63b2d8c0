"""A meeting as it is held: the opening (president, secretaries, roll call, proxies),
the events bound to the item from which they count, and each item's vote. The
record of each item is derived from these, then frozen into the register."""

from __future__ import annotations

from django.db import models

from registre.record import ChangeKind, VoteChoice, VoteMode
from registre.web.meetings.models import AgendaItem, Meeting
from registre.web.members.models import Member


class Presence(models.TextChoices):
    """A member's answer at the roll call."""

    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excusé"


class Sitting(models.Model):
    """The opening of a meeting and its running state."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="sitting")
    opened_at = models.DateTimeField()
    president = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    secretaries = models.ManyToManyField(Member, related_name="+")
    current_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_camera = models.BooleanField(default=False)
    suspended = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)  # every write moves it on
    # every write but a vote's: what the members' attendance is derived from has not
    # changed while it stays (`live.record.attendance_record` keeps it meanwhile)
    attendance_version = models.PositiveIntegerField(default=0)


class RollCall(models.Model):
    """One member's presence at the opening."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Presence.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sitting", "member"], name="one_answer_per_member")
        ]


class OpeningProxy(models.Model):
    """A written proxy given before the meeting (giver -> holder), with its scan."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    document = models.FileField(upload_to="pouvoirs/%Y/", blank=True)
    given_on = models.DateField(null=True, blank=True)
    # the dates of the meetings the written proxy covers (three at most, L2121-20),
    # ISO strings: a later sitting finds its standing proxies here
    covers = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sitting", "giver"], name="one_proxy_per_giver"),
        ]


class OpeningSubstitute(models.Model):
    """A substitute sitting for an absent titular, with a deliberative vote (L5211-6)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="substitutes")
    titular = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sitting", "titular"], name="one_substitute_per_seat"),
        ]


class SittingEvent(models.Model):
    """An arrival, a departure (with or without proxy), a withdrawal for interest,
    counted from `item` onwards (a withdrawal: for `item` only)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=[(k.value, k.value) for k in ChangeKind])
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class ItemVote(models.Model):
    """An item's vote as recorded, and, once closed, its place in the register."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="vote")
    mode = models.CharField(max_length=20, choices=[(m.value, m.value) for m in VoteMode],
                            blank=True)  # fmt: skip
    unanimous = models.BooleanField(default=False)
    votes_for = models.PositiveIntegerField(null=True)
    against = models.PositiveIntegerField(null=True)
    abstention = models.PositiveIntegerField(null=True)
    not_voting = models.PositiveIntegerField(null=True)
    president_vote = models.CharField(
        max_length=20, choices=[(c.value, c.value) for c in VoteChoice], blank=True
    )
    outcome = models.CharField(max_length=20, blank=True)
    in_camera = models.BooleanField(default=False)  # voted while the sitting was closed
    postponement = models.CharField(max_length=20, blank=True, choices=[
        ("quorum", "faute de quorum"), ("decision", "par décision de l'assemblée")])  # fmt: skip
    closed_at = models.DateTimeField(null=True)
    register_sequence = models.PositiveIntegerField(null=True)


class NamedVote(models.Model):
    """One member's vote on an item (or a holder's, for the member they represent)."""

    vote = models.ForeignKey(ItemVote, on_delete=models.CASCADE, related_name="named")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=20, choices=[(c.value, c.value) for c in VoteChoice])
    on_behalf_of = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]


class DeclaredAbsence(models.Model):
    """An elected member's absence declared in advance, with the colleague they give
    their proxy to (or none); the clerk applies it at the roll call."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declared")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_declaration_per_member")
        ]


class Correction(models.Model):
    """A rectification of a closed item (erreur matérielle): an event entered into
    the register beside the original, which never changes."""

    vote = models.ForeignKey(ItemVote, on_delete=models.PROTECT, related_name="corrections")
    reason = models.CharField(max_length=500)
    at = models.DateTimeField()
    register_sequence = models.PositiveIntegerField()


class Ballot(models.Model):
    """An appointment by secret ballot (L2121-21): the seats to fill and the candidates;
    the rounds follow, three at most."""

    vote = models.OneToOneField(ItemVote, on_delete=models.CASCADE, related_name="ballot")
    seats = models.PositiveIntegerField(default=1)


class Candidate(models.Model):
    """A candidate: a member, or a person from outside named with their birth date
    (the eldest wins a tie)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")  # fmt: skip
    name = models.CharField(max_length=300)
    birth_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class BallotRound(models.Model):
    """One round: the ballots found blank or void, and who it elected (computed)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    blank = models.PositiveIntegerField(default=0)
    void = models.PositiveIntegerField(default=0)
    # valid ballots; with one seat, the sum of the votes; with several, counted apart
    # (a ballot names several candidates), the base of the absolute majority
    expressed = models.PositiveIntegerField(null=True)
    elected = models.ManyToManyField(Candidate, related_name="+", blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "number"], name="one_round_per_number"),
        ]


class CandidateVotes(models.Model):
    """A candidate's votes at a round."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
