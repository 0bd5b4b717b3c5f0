"""`__in` on integer columns that ignores numbers no column can hold.

Django already turns an out-of-range `exact`, `gt` or `lt` into an empty (or full) result,
but not `in`: a form post of `partner_bodies=99999999999999999999` reaches SQLite as an
OverflowError (a 500) and PostgreSQL as a NumericValueOutOfRange. No row can have such a
key, so dropping those values is the right answer, and the form then reports "not one of
the available choices" as for any other wrong id.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
