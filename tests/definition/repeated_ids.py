"""A document whose processes repeat activity and transition Ids, as 1.0 and 2.1 allow and 2.2
does not (its keys are package-wide): what ``wfengine convert`` has to rename."""

#: two processes that both have activities start, A, end and transitions t1, t2 (2.1 keys
#: them per process); p2 also has an activity set S whose activity A is a third A, a block
#: starting at it, a split ordering its transitions (on a task: a boundary event may not be
#: attached to a route), a boundary event, a TaskReference and a performer rule naming its
#: A, and p1 calls p2 at its top-level A
REPEATED_IDS = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <DataFields>
    <DataField Id="x"><DataType><BasicType Type="INTEGER"/></DataType>
      <InitialValue>1</InitialValue></DataField>
  </DataFields>
  <WorkflowProcesses>
    <WorkflowProcess Id="p1">
      <ProcessHeader/>
      <Activities>
        <Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="A"><Route/></Activity>
        <Activity Id="call">
          <Implementation><SubFlow Id="p2" StartActivityId="A"/></Implementation>
        </Activity>
        <Activity Id="end"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="start" To="A"/>
        <Transition Id="t2" From="A" To="call"/>
        <Transition Id="t3" From="call" To="end"/>
      </Transitions>
    </WorkflowProcess>
    <WorkflowProcess Id="p2">
      <ProcessHeader/>
      <ActivitySets>
        <ActivitySet Id="S" DefaultStartActivityId="A">
          <Activities><Activity Id="A"><Route/></Activity></Activities>
        </ActivitySet>
      </ActivitySets>
      <Activities>
        <Activity Id="start"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="A">
          <Implementation><No/></Implementation>
          <TransitionRestrictions><TransitionRestriction>
            <Split Type="Exclusive"><TransitionRefs>
              <TransitionRef Id="t2"/><TransitionRef Id="t3"/>
            </TransitionRefs></Split>
          </TransitionRestriction></TransitionRestrictions>
        </Activity>
        <Activity Id="B">
          <BlockActivity ActivitySetId="S" StartActivityId="A"/>
          <ExtendedAttributes>
            <ExtendedAttribute Name="AssignToPerformerOfActivity" Value="A"/>
          </ExtendedAttributes>
        </Activity>
        <Activity Id="watch">
          <Event><IntermediateEvent Trigger="Timer" Target="A">
            <TriggerTimer><TimeCycle>P1D</TimeCycle></TriggerTimer>
          </IntermediateEvent></Event>
        </Activity>
        <Activity Id="again"><Implementation><Reference ActivityId="A"/></Implementation>
        </Activity>
        <Activity Id="end"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="start" To="A"/>
        <Transition Id="t2" From="A" To="B">
          <Condition Type="CONDITION"><Expression>x == 1</Expression></Condition>
        </Transition>
        <Transition Id="t3" From="A" To="end"><Condition Type="OTHERWISE"/></Transition>
        <Transition Id="t4" From="B" To="end"/>
        <Transition Id="t5" From="watch" To="again"/>
        <Transition Id="t6" From="again" To="end"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""
