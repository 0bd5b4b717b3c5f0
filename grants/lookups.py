"""`__in` on integer columns that ignores numbers no column can hold.

Django already turns an out-of-range `exact`, `gt` or `lt` into an empty (or full) result,
but not `in`: a form post of `partner_bodies=99999999999999999999` reaches SQLite as an
OverflowError (a 500) and PostgreSQL as a NumericValueOutOfRange. No row can have such a
key, so dropping those values is the right answer, and the form then reports "not one of
the available choices" as for any other wrong id.
"""

from django.db.models import IntegerField
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = _in_range(self.rhs, self.lhs.output_field.get_internal_type(), connection)
        return super().process_rhs(compiler, connection)


def _in_range(values, internal_type: str, connection) -> list:
    try:
        low, high = connection.ops.integer_field_range(internal_type)
    except KeyError:  # not an integer column
        return list(values)
    return [
        v
        for v in values
        if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))
    ]


@ForeignObject.register_lookup
class RelatedInInRange(RelatedIn):
    """The same for `bid_id__in=[...]` and `bid__in=[...]` on a foreign key to an integer key."""

    def process_rhs(self, compiler, connection):
        target = getattr(self.lhs.output_field, "target_field", None)
        if self.rhs_is_direct_value() and target is not None and not isinstance(self.rhs, (str, bytes)):
            self.rhs = _in_range(self.rhs, target.get_internal_type(), connection)
        return super().process_rhs(compiler, connection)
