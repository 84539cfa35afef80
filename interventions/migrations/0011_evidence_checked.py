"""The shipped entries' evidence after checking each level against its practice guide
(issue 17, second pass; docs/settings.md has the table). A frozen copy of
interventions/catalog/evidence.py: only the shared catalog's rows change."""

from django.db import migrations

SHIPPED = {'Adult mentoring check-ins': ('Not rated by a WWC practice guide', 'Not rated', ''),
 'Check-in/Check-out': ('Not rated by a WWC practice guide', 'Not rated', ''),
 'Comprehension strategies group': ('WWC practice guide: Improving Reading Comprehension in '
                                    'Kindergarten Through 3rd Grade (2010), recommendation 1',
                                    'Strong evidence',
                                    'https://ies.ed.gov/ncee/wwc/PracticeGuide/14'),
 'Coping skills group for worry': ('Not rated by a WWC practice guide', 'Not rated', ''),
 'Emotion regulation skills group': ('Not rated by a WWC practice guide', 'Not rated', ''),
 'Function-based behavior support plan': ('WWC practice guide: Reducing Behavior Problems in '
                                          'the Elementary School Classroom (2008), '
                                          'recommendation 1',
                                          'Moderate evidence',
                                          'https://ies.ed.gov/ncee/wwc/Docs/PracticeGuide/behavior_pg_092308.pdf'),
 'Intensive math with concrete-representational-abstract steps': ('WWC practice guide: '
                                                                  'Assisting Students '
                                                                  'Struggling with '
                                                                  'Mathematics: RtI (2009), '
                                                                  'recommendation 5 (visual '
                                                                  'representations)',
                                                                  'Moderate evidence',
                                                                  'https://ies.ed.gov/ncee/wwc/PracticeGuide/2'),
 'Intensive structured literacy': ('WWC practice guide: Assisting Students Struggling with '
                                   'Reading: RtI and Multi-Tier Intervention in the Primary '
                                   'Grades (2009), recommendation 5 (Tier 3)',
                                   'Low evidence',
                                   'https://ies.ed.gov/ncee/wwc/PracticeGuide/3'),
 'Math fact fluency practice': ('WWC practice guide: Assisting Students Struggling with '
                                'Mathematics: RtI (2009), recommendation 6',
                                'Moderate evidence',
                                'https://ies.ed.gov/ncee/wwc/PracticeGuide/2'),
 'Number sense small group': ('WWC practice guide: Assisting Students Struggling with '
                              'Mathematics (2021), recommendation 4 (the number line) (level '
                              'not verified against the guide)',
                              'Minimal evidence',
                              'https://ies.ed.gov/ncee/wwc/PracticeGuide/26'),
 'Phonemic awareness warm-ups': ('WWC practice guide: Foundational Skills to Support Reading '
                                 'for Understanding in K-3 (2016), recommendation 2',
                                 'Strong evidence',
                                 'https://ies.ed.gov/ncee/wwc/PracticeGuide/21'),
 'Phonics small group': ('WWC practice guide: Assisting Students Struggling with Reading: RtI '
                         'and Multi-Tier Intervention in the Primary Grades (2009), '
                         'recommendation 3 (Tier 2: up to three foundational skills in small '
                         'groups)',
                         'Strong evidence',
                         'https://ies.ed.gov/ncee/wwc/PracticeGuide/3'),
 'Repeated reading for fluency': ('WWC practice guide: Foundational Skills to Support Reading '
                                  'for Understanding in K-3 (2016), recommendation 4 (level '
                                  'not verified against the guide)',
                                  'Moderate evidence',
                                  'https://ies.ed.gov/ncee/wwc/PracticeGuide/21'),
 'Self-monitoring with teacher match': ('WWC practice guide: Reducing Behavior Problems in the '
                                        'Elementary School Classroom (2008), recommendation 3',
                                        'Strong evidence',
                                        'https://ies.ed.gov/ncee/wwc/Docs/PracticeGuide/behavior_pg_092308.pdf'),
 'Social skills group': ('WWC practice guide: Reducing Behavior Problems in the Elementary '
                         'School Classroom (2008), recommendation 3',
                         'Strong evidence',
                         'https://ies.ed.gov/ncee/wwc/Docs/PracticeGuide/behavior_pg_092308.pdf'),
 'Word problem schema instruction': ('WWC practice guide: Assisting Students Struggling with '
                                     'Mathematics: RtI (2009), recommendation 4',
                                     'Strong evidence',
                                     'https://ies.ed.gov/ncee/wwc/PracticeGuide/2')}


def restate(apps, schema_editor):
    Intervention = apps.get_model("interventions", "Intervention")
    for name, (source, rating, url) in SHIPPED.items():
        fields = {"evidence_source": source, "evidence_rating": rating}
        if url:
            fields["evidence_url"] = url
        Intervention.objects.filter(district__isnull=True, name=name).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0010_cicocard_cicosetup"),
    ]

    operations = [migrations.RunPython(restate, migrations.RunPython.noop)]
